from shegong.privacy.models import RequestStatus, SubjectRequest


def open_requests(user, station_id: int):
    """The station's unanswered personal data requests, the soonest due first."""
    return (
        SubjectRequest.objects.visible_to(user)
        .filter(station_id=station_id, status=RequestStatus.OPEN)
        .select_related("resident")
        .order_by("due_on", "pk")
    )


def exports_waiting(user):
    """Personal-data exports waiting for `user`'s decision (not their own), oldest first."""
    from shegong.privacy.models import APPROVE, ExportStatus, PersonalExport

    return (
        PersonalExport.objects.visible_to(user, APPROVE)
        .filter(status=ExportStatus.PENDING)
        .exclude(requested_by=user)
        .select_related("requested_by", "station")
        .order_by("created_at", "pk")
    )
