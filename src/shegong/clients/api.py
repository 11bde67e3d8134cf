"""REST API for residents, households, consent and client classification.

Reads go through `visible_to` (ScopedModelViewSet); every write calls a service
of `clients.services`, never `serializer.save()`: the serializers here only check
the shape of the input. ID numbers leave the server masked, except on an
explicit, logged reveal.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.clients import filtersets, identity, services
from shegong.clients.models import (
    BASIC_DOMAIN_CHOICES,
    ClientCategory,
    ClientStatus,
    Consent,
    Gender,
    Household,
    LawfulBasis,
    PriorityKind,
    Resident,
    ResidentTag,
    Tag,
)
from shegong.core.api import ScopedModelViewSet, ScopedRelatedField
from shegong.core.http import client_ip
from shegong.org.models import Community, ServicePoint

# --- Conflicts ---------------------------------------------------------------


def duplicate_response(exc: services.DuplicateResident, id_number: str = "") -> Response:
    """409 with the records already on file, so the caller can open one of them
    instead of creating a duplicate. A match by ID number cannot be overridden;
    a match by name and birth date, name and phone, or pinyin and birth date can,
    with `confirm_duplicate`."""
    number = identity.normalise_id_number(id_number)
    digests = identity.lookup_hashes(number)
    return Response(
        {
            "detail": exc.messages[0],
            "code": "duplicate",
            "matches": [
                {
                    "id": match.pk,
                    "name": match.name,
                    "birth_date": match.birth_date,
                    "id_number_masked": match.id_number_masked,
                    "same_id_number": match.id_number_hash in digests,
                }
                for match in exc.matches
            ],
        },
        status=status.HTTP_409_CONFLICT,
    )


class ConflictMixin:
    """Answers 409 Conflict for a duplicate registration and for a save based on
    an old version of a record (optimistic locking), instead of a plain 400."""

    def handle_exception(self, exc):
        if isinstance(exc, services.DuplicateResident):
            return duplicate_response(exc)
        if isinstance(exc, services.EditConflict):
            return Response(
                {"detail": exc.messages[0], "code": "conflict"}, status=status.HTTP_409_CONFLICT
            )
        return super().handle_exception(exc)


# --- Serializers: output -------------------------------------------------------


class ResidentSerializer(serializers.ModelSerializer):
    gender_label = serializers.CharField(source="get_gender_display", read_only=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)
    is_minor = serializers.BooleanField(read_only=True)

    class Meta:
        model = Resident
        fields = [
            "id",
            "station",
            "name",
            "gender",
            "gender_label",
            "birth_date",
            "age",
            "is_minor",
            "id_number_masked",
            "phone",
            "address",
            "household",
            "household_role",
            "community",
            "point",
            "merged_into",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ClientStatusSerializer(serializers.ModelSerializer):
    domain_label = serializers.CharField(source="get_domain_display", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    priority_kind_label = serializers.CharField(source="get_priority_kind_display", read_only=True)

    class Meta:
        model = ClientStatus
        fields = [
            "id",
            "resident",
            "station",
            "domain",
            "domain_label",
            "category",
            "category_label",
            "priority_kind",
            "priority_kind_label",
            "started_on",
            "ended_on",
        ]
        read_only_fields = fields


class ResidentTagSerializer(serializers.ModelSerializer):
    tag_label = serializers.CharField(source="get_tag_display", read_only=True)

    class Meta:
        model = ResidentTag
        fields = ["id", "resident", "tag", "tag_label", "started_on", "ended_on"]
        read_only_fields = fields


class ResidentDetailSerializer(ResidentSerializer):
    """The resident with the classifications and tags in force today."""

    is_priority = serializers.SerializerMethodField()
    classifications = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()

    class Meta(ResidentSerializer.Meta):
        fields = [*ResidentSerializer.Meta.fields, "is_priority", "classifications", "tags"]
        read_only_fields = fields

    def _user(self):
        return self.context["request"].user

    @staticmethod
    def _current():
        return Q(ended_on__isnull=True) | Q(ended_on__gte=timezone.localdate())

    def get_is_priority(self, resident) -> bool:
        return services.is_priority_client(resident)

    @extend_schema_field(ClientStatusSerializer(many=True))
    def get_classifications(self, resident) -> list[dict]:
        statuses = (
            ClientStatus.objects.visible_to(self._user())
            .filter(self._current(), resident=resident)
            .order_by("domain")
        )
        return ClientStatusSerializer(statuses, many=True).data

    @extend_schema_field(ResidentTagSerializer(many=True))
    def get_tags(self, resident) -> list[dict]:
        tags = ResidentTag.objects.visible_to(self._user()).filter(
            self._current(), resident=resident
        )
        return ResidentTagSerializer(tags, many=True).data


class HouseholdMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resident
        fields = ["id", "name", "household_role"]
        read_only_fields = fields


class HouseholdSerializer(serializers.ModelSerializer):
    members = HouseholdMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["id", "station", "name", "address", "members"]
        read_only_fields = fields


class ConsentSerializer(serializers.ModelSerializer):
    lawful_basis_label = serializers.CharField(source="get_lawful_basis_display", read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "resident",
            "recorded_on",
            "lawful_basis",
            "lawful_basis_label",
            "covers_record",
            "covers_referral_sharing",
            "given_by",
            "guardian_name",
            "guardian_relation",
            "withdrawn_on",
            "recorded_by",
        ]
        read_only_fields = fields


# --- Serializers: input (shape only; the services hold the rules) -----------------


class ResidentInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    gender = serializers.ChoiceField(choices=Gender.choices)
    birth_date = serializers.DateField()
    id_number = serializers.CharField(max_length=30, allow_blank=True, required=False)
    phone = serializers.CharField(max_length=20, allow_blank=True, required=False)
    address = serializers.CharField(max_length=200, allow_blank=True, required=False)
    household = ScopedRelatedField(
        queryset=Household.objects.all(), allow_null=True, required=False
    )
    household_role = serializers.CharField(max_length=20, allow_blank=True, required=False)
    community = ScopedRelatedField(
        queryset=Community.objects.all(), allow_null=True, required=False
    )
    point = ScopedRelatedField(
        queryset=ServicePoint.objects.all(),
        allow_null=True,
        required=False,
        help_text="The service point 社工点 of the caller's station; left out: the point "
        "of the resident's community, if it has one.",
    )


class ResidentRegisterSerializer(ResidentInputSerializer):
    confirm_duplicate = serializers.BooleanField(
        default=False,
        help_text="Confirm that this is not the same person as the residents the 409 "
        "answer listed (same name and birth date, same name and phone, or same "
        "pinyin and birth date); never allowed for the same ID number.",
    )
    allow_similar = serializers.BooleanField(
        default=False, help_text="The former name of `confirm_duplicate`."
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        confirmed = attrs.pop("confirm_duplicate", False)
        attrs["allow_similar"] = bool(attrs.get("allow_similar") or confirmed)
        return attrs


class ResidentUpdateSerializer(ResidentInputSerializer):
    """Only the fields sent are changed; `version` is the one the caller read."""

    version = serializers.IntegerField(min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class MergeSerializer(serializers.Serializer):
    duplicate = ScopedRelatedField(queryset=Resident.objects.all())


class HouseholdInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    address = serializers.CharField(max_length=200, allow_blank=True, default="")


class ConsentInputSerializer(serializers.Serializer):
    resident = ScopedRelatedField(queryset=Resident.objects.all())
    recorded_on = serializers.DateField(default=timezone.localdate)
    lawful_basis = serializers.ChoiceField(choices=LawfulBasis.choices, default=LawfulBasis.CONSENT)
    covers_record = serializers.BooleanField(default=True)
    covers_referral_sharing = serializers.BooleanField(default=False)
    given_by = serializers.ChoiceField(
        choices=Consent.GivenBy.choices, default=Consent.GivenBy.SELF
    )
    guardian_name = serializers.CharField(max_length=50, allow_blank=True, default="")
    guardian_relation = serializers.CharField(max_length=20, allow_blank=True, default="")


class ClassifyInputSerializer(serializers.Serializer):
    resident = ScopedRelatedField(queryset=Resident.objects.all())
    domain = serializers.ChoiceField(choices=BASIC_DOMAIN_CHOICES)
    category = serializers.ChoiceField(choices=ClientCategory.choices)
    priority_kind = serializers.ChoiceField(
        choices=PriorityKind.choices, allow_blank=True, default=""
    )
    started_on = serializers.DateField(default=timezone.localdate)


class TagInputSerializer(serializers.Serializer):
    resident = ScopedRelatedField(queryset=Resident.objects.all())
    tag = serializers.ChoiceField(choices=Tag.choices)
    started_on = serializers.DateField(default=timezone.localdate)


class EndInputSerializer(serializers.Serializer):
    ended_on = serializers.DateField(default=timezone.localdate)


def _valid(serializer_class, request, view) -> dict:
    serializer = serializer_class(data=request.data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- Viewsets --------------------------------------------------------------------


class ResidentViewSet(ConflictMixin, ScopedModelViewSet):
    """居民. The list leaves out merged records; their detail stays readable."""

    queryset = Resident.objects.order_by("name", "pk")
    serializer_class = ResidentSerializer
    filterset_class = filtersets.ResidentFilterSet
    ordering_fields = ["name", "name_pinyin", "birth_date", "created_at", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            queryset = queryset.filter(merged_into__isnull=True)
        return queryset

    def get_serializer_class(self):
        return ResidentSerializer if self.action == "list" else ResidentDetailSerializer

    def _detail(self, resident: Resident, code: int = status.HTTP_200_OK) -> Response:
        context = self.get_serializer_context()
        return Response(ResidentDetailSerializer(resident, context=context).data, status=code)

    @extend_schema(request=ResidentRegisterSerializer, responses={201: ResidentDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Register a resident at the caller's station, after searching for the
        same person there: 409 with the matches if they are already on file."""
        data = _valid(ResidentRegisterSerializer, request, self)
        try:
            resident = services.resident_register(
                actor=request.user, station=request.user.station, **data
            )
        except services.DuplicateResident as exc:
            return duplicate_response(exc, data.get("id_number", ""))
        return self._detail(resident, status.HTTP_201_CREATED)

    @extend_schema(request=ResidentUpdateSerializer, responses=ResidentDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change the fields sent, if nobody saved the resident since `version`."""
        resident = self.get_object()
        data = _valid(ResidentUpdateSerializer, request, self)
        version = data.pop("version")
        try:
            resident = services.resident_update(
                actor=request.user, resident=resident, version=version, **data
            )
        except services.DuplicateResident as exc:
            return duplicate_response(exc, data.get("id_number", ""))
        return self._detail(resident)

    @extend_schema(request=MergeSerializer, responses=ResidentDetailSerializer)
    @action(detail=True, methods=["post"], scope_action="merge")
    def merge(self, request, pk=None):
        """Fold the `duplicate` record into this one; its cases, consents and
        services move here."""
        keep = self.get_object()
        data = _valid(MergeSerializer, request, self)
        keep = services.resident_merge(actor=request.user, keep=keep, duplicate=data["duplicate"])
        return self._detail(keep)

    @extend_schema(
        request=None,
        responses=inline_serializer("RevealedIdNumber", {"id_number": serializers.CharField()}),
    )
    @action(detail=True, methods=["post"], url_path="reveal-id")
    def reveal_id(self, request, pk=None):
        """The full ID number, for a worker assigned to an open case of the
        resident; the reveal is written to the access log."""
        resident = self.get_object()
        number = services.resident_reveal_id_number(
            actor=request.user, resident=resident, ip=client_ip(request)
        )
        response = Response({"id_number": number})
        response["Cache-Control"] = "no-store"
        return response


class HouseholdViewSet(ScopedModelViewSet):
    queryset = Household.objects.prefetch_related(
        Prefetch(
            "members",
            queryset=Resident.objects.filter(merged_into__isnull=True).order_by("name", "pk"),
        )
    ).order_by("name", "pk")
    serializer_class = HouseholdSerializer
    filterset_class = filtersets.HouseholdFilterSet
    ordering_fields = ["name", "id"]
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=HouseholdInputSerializer, responses={201: HouseholdSerializer})
    def create(self, request, *args, **kwargs):
        """A household at the caller's station; link members by PATCHing the
        residents' `household`."""
        data = _valid(HouseholdInputSerializer, request, self)
        household = services.household_create(
            actor=request.user, station=request.user.station, **data
        )
        return Response(HouseholdSerializer(household).data, status=status.HTTP_201_CREATED)


class ConsentViewSet(ScopedModelViewSet):
    queryset = Consent.objects.order_by("-recorded_on", "-pk")
    serializer_class = ConsentSerializer
    filterset_class = filtersets.ConsentFilterSet
    ordering_fields = ["recorded_on", "id"]
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=ConsentInputSerializer, responses={201: ConsentSerializer})
    def create(self, request, *args, **kwargs):
        """Record consent (or the statutory basis); a child under 14 needs a
        named parent or guardian."""
        data = _valid(ConsentInputSerializer, request, self)
        consent = services.consent_record(actor=request.user, **data)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ClientStatusViewSet(ScopedModelViewSet):
    queryset = ClientStatus.objects.order_by("-started_on", "-pk")
    serializer_class = ClientStatusSerializer
    filterset_class = filtersets.ClientStatusFilterSet
    ordering_fields = ["started_on", "ended_on", "domain", "id"]
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=ClassifyInputSerializer, responses={201: ClientStatusSerializer})
    def create(self, request, *args, **kwargs):
        """Classify the resident in a domain from `started_on`; the earlier open
        classification in that domain ends the day before."""
        data = _valid(ClassifyInputSerializer, request, self)
        item = services.client_classify(actor=request.user, **data)
        return Response(ClientStatusSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndInputSerializer, responses=ClientStatusSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        item = self.get_object()
        data = _valid(EndInputSerializer, request, self)
        services.client_status_end(actor=request.user, status=item, **data)
        return Response(ClientStatusSerializer(item).data)


class ResidentTagViewSet(ScopedModelViewSet):
    queryset = ResidentTag.objects.order_by("tag", "pk")
    serializer_class = ResidentTagSerializer
    filterset_class = filtersets.ResidentTagFilterSet
    ordering_fields = ["tag", "started_on", "ended_on", "id"]
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=TagInputSerializer, responses={201: ResidentTagSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid(TagInputSerializer, request, self)
        item = services.tag_add(actor=request.user, **data)
        return Response(ResidentTagSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndInputSerializer, responses=ResidentTagSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        item = self.get_object()
        data = _valid(EndInputSerializer, request, self)
        services.tag_end(actor=request.user, item=item, **data)
        return Response(ResidentTagSerializer(item).data)
