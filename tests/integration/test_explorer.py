"""The relationship explorer in a real browser (Debian's Chromium driven by Playwright) against
the demo data: what an account-team member sees, step by step.

Every expected name, explanation and path is read from the API in the same test, so the page
is checked against the API's answer rather than against copied strings. Screenshots of each
step go to tests/artifacts/ (not committed).
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, async_playwright

from graph_api.api.pages import assets_built
from tests.conftest import Database, GraphQLClient, LiveServer, data_of
from tests.principals import KEYS, as_key, production_settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
TIMEOUT_MS = 60_000


@pytest_asyncio.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    assert HAVE_CHROMIUM, "chromium is needed: `make test` installs it (apt-get)"
    assert assets_built(), "the explorer is not built: `make web` (or `make test`) builds it"
    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        await chromium.close()


class Visit:
    """One browser tab on the service, recording every address it asks for."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.set_default_timeout(TIMEOUT_MS)

    def outside(self) -> list[str]:
        return [u for u in self.requests if not u.startswith((self.base, "data:", "blob:"))]

    async def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        await self.page.screenshot(path=str(ARTIFACTS / f"explorer-{name}.png"))

    async def open(self, party_id: str | None = None) -> None:
        await self.page.goto(f"{self.base}/explore" + (f"#party={party_id}" if party_id else ""))

    async def find(self, text: str, party_id: str) -> None:
        await self.page.fill("[data-testid=search]", text)
        await self.page.click(f"[data-testid=hits] li[data-id='{party_id}']")
        await self.page.wait_for_selector(f"[data-testid=card][data-id='{party_id}']")

    async def drawn(self) -> None:
        # The whole chart drawn (after the first one of its top levels), no layout under way.
        await self.page.wait_for_function(
            "(e => e.state.complete && e.state.lastDraw && e.map.rendering === 0)"
            "(window.__explorer)"
        )

    async def chart(self) -> dict[str, Any]:
        """What the map draws: its people (with their label and classes) and its links."""
        result: dict[str, Any] = await self.page.evaluate(
            """() => {
              const cy = window.__explorer.map.cy;
              return {
                nodes: Object.fromEntries(cy.nodes('.person, .rep').map(n =>
                  [n.id(), {label: n.data('label'), classes: n.classes()}])),
                units: cy.nodes('.unit').map(n => n.data('label')),
                influence: cy.edges('.influence').length,
                reports: cy.edges('.reports').length,
                pathLinks: cy.edges('.path-link').map(e => [e.source().id(), e.target().id()]),
              };
            }"""
        )
        return result


@pytest_asyncio.fixture
async def visit(browser: Browser, server: LiveServer) -> AsyncIterator[Visit]:
    context = await browser.new_context(viewport={"width": 1500, "height": 950}, locale="zh-CN")
    page = await context.new_page()
    yield Visit(page, server.url)
    await context.close()


async def test_landing_page_links_explorer_graphiql_and_health(
    db: Database, server: LiveServer, visit: Visit
) -> None:
    await visit.page.goto(f"{server.url}/")
    hrefs = await visit.page.eval_on_selector_all("a", "links => links.map(a => a.href)")
    assert {f"{server.url}{p}" for p in ("/explore", "/graphql", "/healthz", "/readyz")} <= set(
        hrefs
    )
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"{server.url}/docs")).status_code == 404


async def test_graphiql_loads_from_the_service_only(
    db: Database, server: LiveServer, visit: Visit
) -> None:
    await db.demo()
    await visit.page.goto(f"{server.url}/graphql")
    await visit.page.wait_for_selector(".graphiql-container")
    await visit.shot("0-graphiql")
    assert visit.outside() == []
    assert visit.errors == []


async def test_search_zhang_li_opens_his_card(
    db: Database, visit: Visit, gql: GraphQLClient
) -> None:
    await db.demo()
    expected = data_of(
        await gql(
            """{ party(id: "p-zhang-li") { name ... on Person {
                   employments { organization { name } title }
                   household { person { name } } } } }"""
        )
    )["party"]
    await visit.open()
    await visit.find("张立", "p-zhang-li")
    card = visit.page.locator("[data-testid=card]")
    assert await card.locator("[data-testid=card-name]").inner_text() == expected["name"]
    text = await card.inner_text()
    for job in expected["employments"]:
        assert job["organization"]["name"] in text and job["title"] in text
    assert expected["household"], "the demo gives 张立 a spouse"
    for member in expected["household"]:
        assert member["person"]["name"] in text
    assert "已遮蔽" not in text  # development mode: an admin, nothing masked
    await visit.drawn()
    await visit.shot("1-search-zhang-li")
    assert visit.outside() == [] and visit.errors == []


async def test_org_chart_of_cimc_with_markers_and_risks(
    db: Database, visit: Visit, gql: GraphQLClient
) -> None:
    await db.demo()
    api = data_of(
        await gql(
            """{ orgChart(organizationId: "org-cimc", depth: 10, includeInfluence: true) {
                   nodes { id person { name } role attitude external }
                   edges { type } subCharts { organization { name } } }
                 decisionAssessment(accountId: "org-cimc") {
                   risks { kind personId } } }"""
        )
    )
    await visit.open()
    await visit.find("中集集团", "org-cimc")
    await visit.page.wait_for_selector("[data-testid=deciders] li", state="attached")
    await visit.page.wait_for_function(
        "window.__explorer.map.cy.nodes('.risk-uncovered').length > 0"
    )
    await visit.drawn()
    chart = await visit.chart()
    marks = {"DECISION_MAKER": "决", "APPROVER": "审", "EVALUATOR": "研", "INFLUENCER": "咨"}
    marks |= {"USER": "用", "SUPPORTER": "+", "NEUTRAL": "=", "NON_SUPPORTER": "-"}
    marks |= {"OPPONENT": "X"}
    for node in api["orgChart"]["nodes"]:
        drawn = chart["nodes"][node["id"]]
        first_line = drawn["label"].split("\n")[0]
        assert first_line.startswith(node["person"]["name"])
        for marker in (node["role"], node["attitude"]):
            if marker:
                assert marks[marker] in first_line.split(), (node["id"], first_line)
        if node["attitude"]:
            assert f"att-{node['attitude']}" in drawn["classes"]
    assert chart["influence"] == sum(e["type"] == "INFLUENCES" for e in api["orgChart"]["edges"])
    assert chart["reports"] == sum(e["type"] == "REPORTS_TO" for e in api["orgChart"]["edges"])
    assert "外部影响者" in chart["units"]
    for sub in api["orgChart"]["subCharts"]:
        assert sub["organization"]["name"] in chart["units"]
    uncovered = {
        r["personId"]
        for r in api["decisionAssessment"]["risks"]
        if r["kind"] == "UNCOVERED_DECIDER"
    }
    assert uncovered
    for person in uncovered:
        assert "risk-uncovered" in chart["nodes"][person]["classes"]
    await visit.shot("2-org-chart-cimc")

    # Collapsing a unit draws it as one box; expanding it again brings its people back.
    sub_name = api["orgChart"]["subCharts"][0]["organization"]["name"]
    await visit.page.evaluate("id => window.__explorer.map.toggleUnit(id)", "org-cimc-overseas")
    collapsed = await visit.chart()
    assert "p-chen-gang" not in collapsed["nodes"]
    assert any(u.startswith(sub_name) and "⊕" in u for u in collapsed["units"])
    await visit.page.evaluate("id => window.__explorer.map.toggleUnit(id)", "org-cimc-overseas")
    assert "p-chen-gang" in (await visit.chart())["nodes"]
    assert visit.outside() == [] and visit.errors == []


async def test_key_deciders_list_with_explanations(
    db: Database, visit: Visit, gql: GraphQLClient
) -> None:
    await db.demo()
    deciders = data_of(
        await gql(
            '{ keyDeciders(accountId: "org-cimc") { person { id name } explanation } }',
            headers={"Accept-Language": "zh-CN"},
        )
    )["keyDeciders"]
    await visit.open("org-cimc")
    await visit.page.click("[data-testid=tab-deciders]")
    items = visit.page.locator("[data-testid=deciders] > li")
    await items.first.wait_for()
    assert await items.count() == len(deciders)
    for i, decider in enumerate(deciders):
        item = items.nth(i)
        assert await item.get_attribute("data-id") == decider["person"]["id"]
        assert await item.locator(".explanation").inner_text() == decider["explanation"]
    assessment = await visit.page.locator("[data-testid=assessment]").inner_text()
    assert "TAS 9" in assessment and "TAS 10" in assessment
    await visit.drawn()
    await visit.shot("3-key-deciders")


async def test_warm_introduction_path_is_highlighted(
    db: Database, visit: Visit, gql: GraphQLClient
) -> None:
    await db.demo()
    paths = data_of(
        await gql(
            """{ warmIntroductions(targetId: "p-wang-zhiqiang", limit: 5) {
                   nodes { id label } links { source target } } }"""
        )
    )["warmIntroductions"]
    assert paths, "the demo has a way in to 王志强"
    await visit.open("org-cimc")
    await visit.page.click("[data-testid=tab-deciders]")
    await visit.page.click("[data-testid=deciders] li[data-id='p-wang-zhiqiang'] button.small")
    first = visit.page.locator("[data-testid=intro-paths] > li").first
    await first.wait_for()
    assert await visit.page.locator("[data-testid=intro-paths] > li").count() == len(paths)
    best = paths[0]
    assert " → ".join(n["label"] for n in best["nodes"]) in await first.inner_text()
    assert "active" in (await first.get_attribute("class") or "")
    await visit.page.wait_for_function("window.__explorer.map.cy.edges('.path-link').length > 0")
    chart = await visit.chart()
    on_path = {i for i, n in chart["nodes"].items() if "on-path" in n["classes"]}
    assert on_path == {n["id"] for n in best["nodes"]}
    assert sorted(chart["pathLinks"]) == sorted(
        [lk["source"], lk["target"]] for lk in best["links"]
    )
    await visit.page.wait_for_timeout(300)  # the fit after the layout
    await visit.shot("4-warm-introduction")


async def test_cross_sell_suggestion_with_its_evidence(
    db: Database, visit: Visit, gql: GraphQLClient
) -> None:
    await db.demo()
    suggestions = data_of(
        await gql(
            """{ crossSell(partyId: "p-zhang-cuishan", limit: 5) { suggestions {
                   product { name } evidence { path { explanation nodes { id } } } } } }""",
            headers={"Accept-Language": "zh-CN"},
        )
    )["crossSell"]["suggestions"]
    assert suggestions
    await visit.open()
    await visit.find("张翠山", "p-zhang-cuishan")
    await visit.page.click("[data-testid=tab-crossSell]")
    items = visit.page.locator("[data-testid=suggestions] > li")
    await items.first.wait_for()
    assert await items.count() == len(suggestions)
    top = items.first
    assert await top.locator(".head b").inner_text() == suggestions[0]["product"]["name"]
    evidence = suggestions[0]["evidence"]
    shown = top.locator("li.path")
    assert await shown.count() == len(evidence)
    assert (
        await shown.first.locator(".explanation").inner_text()
        == (evidence[0]["path"]["explanation"])
    )
    await visit.drawn()
    await shown.first.click()
    await visit.page.wait_for_function("window.__explorer.map.cy.edges('.path-link').length > 0")
    chart = await visit.chart()
    on_path = {i for i, n in chart["nodes"].items() if "on-path" in n["classes"]}
    people = {n["id"] for n in evidence[0]["path"]["nodes"]}
    assert on_path == people
    await visit.page.wait_for_timeout(300)
    await visit.shot("5-cross-sell")


async def test_english_switch(db: Database, visit: Visit) -> None:
    await db.demo()
    await visit.open("org-cimc")
    await visit.page.wait_for_selector("[data-testid=card]")
    await visit.page.click("[data-testid=language]")
    await visit.page.wait_for_selector("[data-testid=card]")
    assert await visit.page.locator("h1").first.inner_text() == "Relationship explorer"
    assert await visit.page.locator("[data-testid=tab-deciders]").inner_text() == "Key deciders"


# ----- production mode: the viewer's key, and only what the viewer may see -----


@pytest.fixture(scope="module")
def production(neo4j_uri: str) -> Any:
    live = LiveServer(production_settings(neo4j_uri)).start()
    yield live
    live.stop()


async def sign_in(browser: Browser, url: str, key: str) -> tuple[Visit, Any]:
    context = await browser.new_context(viewport={"width": 1500, "height": 950})
    visit = Visit(await context.new_page(), url)
    await visit.open()
    await visit.page.fill("[data-testid=credential]", key)
    await visit.page.click("[data-testid=sign-in]")
    await visit.page.wait_for_selector("[data-testid=mode]:has-text('生产模式')")
    return visit, context


async def search_ids(visit: Visit, text: str) -> list[str]:
    await visit.page.fill("[data-testid=search]", text)
    await visit.page.wait_for_selector("[data-testid=hits] li")
    await visit.page.wait_for_timeout(400)  # the debounced search's answer
    ids: list[str] = await visit.page.eval_on_selector_all(
        "[data-testid=hits] li[data-id]", "items => items.map(li => li.dataset.id)"
    )
    return ids


async def test_production_asks_for_a_key_and_shows_only_what_the_viewer_sees(
    db: Database, browser: Browser, production: LiveServer
) -> None:
    await db.demo()
    rep = as_key(production.url, "demo-rep")
    admin = as_key(production.url, "admin")
    query = '{ search(text: "张立") { edges { node { id } } } }'
    admin_ids = [e["node"]["id"] for e in data_of(await admin(query))["search"]["edges"]]
    rep_ids = [e["node"]["id"] for e in data_of(await rep(query))["search"]["edges"]]
    assert "p-zhang-li" in admin_ids and "p-zhang-li" not in rep_ids

    context = await browser.new_context(viewport={"width": 1500, "height": 950})
    first = Visit(await context.new_page(), production.url)
    await first.open()
    await first.page.wait_for_selector("[data-testid=credential]")
    await first.shot("6-production-sign-in")
    await context.close()

    rep_visit, rep_context = await sign_in(browser, production.url, KEYS["demo-rep"])
    try:
        assert await search_ids(rep_visit, "张立") == rep_ids
        assert "没有找到" in await rep_visit.page.locator("[data-testid=hits]").inner_text()
        # The key is never in the address.
        assert KEYS["demo-rep"] not in rep_visit.page.url
        assert all(KEYS["demo-rep"] not in u for u in rep_visit.requests)
        # 王志强 works for the rep's account but is not covered by the rep: masked.
        masked = data_of(await rep('{ party(id: "p-wang-zhiqiang") { masked } }'))["party"]
        assert "phone" in masked["masked"]
        await rep_visit.find("王志强", "p-wang-zhiqiang")
        phone = rep_visit.page.locator("[data-testid=card] [data-field=phone]")
        assert "已遮蔽" in await phone.inner_text()
        await rep_visit.drawn()
        await rep_visit.shot("7-production-rep")
    finally:
        await rep_context.close()

    admin_visit, admin_context = await sign_in(browser, production.url, KEYS["admin"])
    try:
        assert await search_ids(admin_visit, "张立") == admin_ids
    finally:
        await admin_context.close()


async def test_explorer_page_names_what_is_missing_when_not_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph_api.api import pages
    from graph_api.api.app import create_app
    from tests.conftest import settings_for

    monkeypatch.setattr(pages, "BUILT_STAMP", tmp_path / "BUILT")
    # ASGITransport runs no lifespan: nothing connects to Neo4j for a static page.
    app = create_app(settings_for("bolt://127.0.0.1:1"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://explorer") as client:
        page = await client.get("/explore")
        graphiql = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 503
    assert "npm run build" in page.text and "make demo" in page.text
    assert "unpkg" not in graphiql.text and "npm run build" in graphiql.text
