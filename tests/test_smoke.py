def test_directory_lists_world_stations_for_city_officer(world, login):
    response = login(world["city"]).get("/org/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3
