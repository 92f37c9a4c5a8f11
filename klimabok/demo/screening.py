"""The demo's scope 3 relevance screening: Nordlys Kundesenter, a call centre of about 400 employees in
two rented offices, which sells a service and no products.

Relevant: 3.1 purchased goods and services, 3.3 fuel- and energy-related activities, 3.5 waste,
3.6 business travel, 3.7 commuting and homeworking; the others not relevant, each with the reason a
call centre would give (GHG Protocol Scope 3 Standard, table 6.1 criteria). 3.2 capital goods has a
few tonnes from the ledger's computer and furniture purchases: marked not relevant by size, with the
reason saying its tonnes stay in the account — the case the screening page flags. Recorded by the
sustainability ombudsman, as a user would, through :func:`klimabok.account.services.save_scope3_screening`.
The reasons are in bokmål, as the client writes them.
"""

from __future__ import annotations

from klimabok.core.scope3_screening import CategoryScreening, Criterion, Relevance

_R, _N = Relevance.RELEVANT, Relevance.NOT_RELEVANT

NORDLYS_SCREENING: tuple[CategoryScreening, ...] = (
    CategoryScreening(1, _R, Criterion.SIZE,
                      "IT-tjenester, kantine, renhold og rådgivning: den største kategorien i scope 3."),
    CategoryScreening(2, _N, Criterion.SIZE,
                      "PC-er, headset og møbler kjøpes sjelden og utgjør et par prosent av scope 3. "
                      "Tonnene fra hovedboken står likevel i klimaregnskapet."),
    CategoryScreening(3, _R, Criterion.OTHER,
                      "Følger av energibruken i scope 1 og 2 (brønn-til-tank og nettap); tas med for "
                      "fullstendighet."),
    CategoryScreening(4, _N, Criterion.SIZE,
                      "Ingen egne vareleveranser; frakt av kontorrekvisita ligger i innkjøpsprisen (3.1)."),
    CategoryScreening(5, _R, Criterion.STAKEHOLDERS,
                      "Avfall rapporteres til Miljøfyrtårn og etterspørres av kunder; kantineavfallet er "
                      "en merkbar post."),
    CategoryScreening(6, _R, Criterion.INFLUENCE,
                      "Flyreiser til kunder og mellom kontorene; selskapet styrer reisepolicyen."),
    CategoryScreening(7, _R, Criterion.SIZE,
                      "Rundt 400 ansatte pendler til to kontorer eller jobber hjemme: en av de største "
                      "postene."),
    CategoryScreening(8, _N, Criterion.OTHER,
                      "Kontorene er leid: energibruken er i scope 2 (operasjonell kontroll), og husleien er "
                      "en tjeneste i 3.1."),
    CategoryScreening(9, _N, Criterion.SIZE, "Selskapet selger kundeservice, ingen varer som fraktes ut."),
    CategoryScreening(10, _N, Criterion.SIZE, "Ingen solgte produkter som bearbeides videre."),
    CategoryScreening(11, _N, Criterion.SIZE,
                      "Ingen solgte produkter som bruker energi; tjenesten leveres fra egne lokaler."),
    CategoryScreening(12, _N, Criterion.SIZE, "Ingen solgte produkter som blir avfall hos kunden."),
    CategoryScreening(13, _N, Criterion.SIZE, "Selskapet leier ikke ut eiendeler."),
    CategoryScreening(14, _N, Criterion.SIZE, "Ingen franchisevirksomhet."),
    CategoryScreening(15, _N, Criterion.SIZE,
                      "Ingen investeringer utover bankinnskudd; selskapet er ikke en finansinstitusjon."),
)
