from tests.conftest import text_of


def test_pages_render(client, login_as, make_person):
    person_id = make_person(given_name="Margaret", family_name="Thompson")
    login_as("admin")
    for path in [
        "/",
        "/people/search?q=Margret+Thomson",
        "/people/search?postcode=PL4",
        "/people/new",
        f"/people/{person_id}",
        f"/people/{person_id}/identity",
        f"/people/{person_id}/story",
        f"/people/{person_id}/consent",
        f"/people/{person_id}/carers/new",
        f"/people/{person_id}/merge",
        f"/people/{person_id}/access-log",
        f"/people/{person_id}/refer",
        f"/people/{person_id}?strand=urgent_care",
        "/services/caremap_administration/queue",
        "/admin/routing-rules",
        "/admin/routing-rules/new",
        "/admin/routing-rules/discharge_65_reablement",
        "/account",
        "/admin/users",
        "/admin/users/1",
        "/healthz",
        "/api/v1/openapi.json",
    ]:
        response = client.get(path)
        assert response.status_code == 200, (path, text_of(response)[:3000])


def test_api_smoke(api, make_person):
    person_id = make_person(given_name="Margaret", family_name="Thompson")
    admin = api("admin")
    for path in [
        "/people?q=thompson",
        f"/people/{person_id}",
        f"/people/{person_id}/story",
        f"/people/{person_id}/consent",
        f"/people/{person_id}/related-people",
        f"/people/{person_id}/chronology",
        f"/people/{person_id}/access-log",
        "/people/duplicates?given_name=Margaret&family_name=Thomson&date_of_birth=1950-03-07",
        "/catalogue/services",
        "/needs",
        "/routing-rules",
        "/routing-rules/discharge_65_reablement/versions",
        f"/people/{person_id}/referrals",
        f"/people/{person_id}/episodes",
        "/services/caremap_administration/queue",
        "/users",
        "/me",
    ]:
        response = admin.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:3000])
