"""Account URLs: an organisation's years and a year's account, under ``/o/<slug>/``."""

from django.urls import path

from klimabok.account.views import account, entries, screening, spend, years

app_name = "account"

urlpatterns = [
    path("o/<slug:slug>/", years.org_home, name="org_home"),
    path("o/<slug:slug>/<int:year>/", years.year_detail, name="year"),
    path("o/<slug:slug>/<int:year>/facts/", years.year_facts, name="year_facts"),
    path("o/<slug:slug>/<int:year>/close/", years.year_close, name="year_close"),
    path("o/<slug:slug>/<int:year>/reopen/", years.year_reopen, name="year_reopen"),
    path("o/<slug:slug>/<int:year>/recalculate/", years.year_recalculate, name="year_recalculate"),
    path("o/<slug:slug>/<int:year>/entries/", entries.entry_list, name="entries"),
    path("o/<slug:slug>/<int:year>/account/", account.account_page, name="account"),
    path("o/<slug:slug>/<int:year>/account/lines/", account.account_lines, name="account_lines"),
    path("o/<slug:slug>/<int:year>/account/export.<str:fmt>", account.account_export, name="account_export"),
    path("o/<slug:slug>/<int:year>/account/spend/", spend.spend_detail, name="spend"),
    path("o/<slug:slug>/<int:year>/account/scope3-screening/", screening.scope3_screening,
         name="scope3_screening"),
    path("o/<slug:slug>/<int:year>/account/scope3-screening/save/", screening.scope3_screening_save,
         name="scope3_screening_save"),
]
