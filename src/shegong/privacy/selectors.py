from shegong.privacy.models import RequestStatus, SubjectRequest


def open_requests(user, station_id: int):
    """The station's unanswered personal data requests, the soonest due first."""
    return (
        SubjectRequest.objects.visible_to(user)
        .filter(station_id=station_id, status=RequestStatus.OPEN)
        .select_related("resident")
        .order_by("due_on", "pk")
    )
