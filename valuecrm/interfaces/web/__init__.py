"""The web dashboard (Jinja2 pages with Plotly charts) on the same server as the REST API.

``router`` holds every page: sign-in, overview, RFM, value, lifecycle, who they are (profile),
the voice of the customer, models, customers, action lists, cross-sell, campaigns and loyalty,
in English and 简体中文. It is included by :func:`valuecrm.interfaces.server.create_app`, which
also renders every error on a page with :func:`error_page`.
"""

from fastapi import APIRouter

from valuecrm.interfaces.web import (
    actions,
    auth_pages,
    campaigns,
    cross_sell,
    customers,
    loyalty,
    pages,
    profiles,
    voice_page,
)
from valuecrm.interfaces.web.errors import error_page

router = APIRouter(include_in_schema=False)
# pages whose answer rests on the database and the user only (figures per snapshot, the value
# list, searches, a customer's page): the server keeps each user's until it next writes
# (:mod:`valuecrm.interfaces.api.answers`)
CACHED_PAGES = (r"/overview", r"/rfm", r"/value", r"/lifecycle", r"/models", r"/customers",
                r"/customers/[^/]+")
for _module in (auth_pages, pages, profiles, voice_page, customers, actions, cross_sell, campaigns,
                loyalty):
    router.include_router(_module.router)

__all__ = ["CACHED_PAGES", "error_page", "router"]
