"""REST API of the surveys app for staff: surveys and their questions (read, and
create through `surveys.services`), publishing, and a survey's results.
Residents answer on the public web page, not through the API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.core.api import ScopedModelViewSet, ScopedRelatedField
from shegong.core.models import Domain
from shegong.surveys import filtersets, selectors, services
from shegong.surveys.models import Option, Question, QuestionKind, Survey, SurveyKind


class OptionSerializer(serializers.ModelSerializer):
    domain = serializers.ChoiceField(choices=Domain.choices, allow_blank=True, required=False)

    class Meta:
        model = Option
        fields = ["id", "position", "label", "domain"]
        read_only_fields = ["id", "position"]


class QuestionSerializer(serializers.ModelSerializer):
    survey = ScopedRelatedField(queryset=Survey.objects.all())
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    options = OptionSerializer(many=True, required=False)

    class Meta:
        model = Question
        fields = [
            "id",
            "survey",
            "position",
            "section",
            "kind",
            "text",
            "help_text",
            "required",
            "options",
        ]
        read_only_fields = ["id", "position"]


class SurveySerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=SurveyKind.choices)
    response_count = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "id",
            "station",
            "city",
            "is_template",
            "kind",
            "title",
            "introduction",
            "status",
            "version",
            "previous",
            "published_at",
            "closed_at",
            "response_count",
            "created_at",
        ]
        read_only_fields = [f for f in fields if f not in ("kind", "title", "introduction")]

    def get_response_count(self, survey) -> int:
        return survey.responses.count()


class FromTemplateSerializer(serializers.Serializer):
    template = ScopedRelatedField(queryset=Survey.objects.filter(is_template=True))


def _valid(serializer_class, view, data=None) -> dict:
    serializer = serializer_class(
        data=view.request.data if data is None else data, context=view.get_serializer_context()
    )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class SurveyViewSet(ScopedModelViewSet):
    """Surveys of the stations in scope (and the city's templates). POST creates a
    draft at the director's station (a city officer: a city-wide template);
    POST /surveys/from-template/ copies a template; /publish/, /close/ and
    /new-version/ are the state changes; GET /surveys/{id}/results/ the figures."""

    queryset = Survey.objects.select_related("station").order_by("-created_at", "-pk")
    serializer_class = SurveySerializer
    filterset_class = filtersets.SurveyFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = _valid(SurveySerializer, self)
        survey = services.survey_create(actor=request.user, **data)
        return Response(self.get_serializer(survey).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FromTemplateSerializer, responses={201: SurveySerializer})
    @action(detail=False, methods=["post"], url_path="from-template")
    def from_template(self, request):
        # A write on the collection: ScopedPermission has checked the create
        # right before the body is read (a reader gets 403 whatever it sends).
        data = _valid(FromTemplateSerializer, self)
        survey = services.survey_create_from_template(actor=request.user, template=data["template"])
        return Response(self.get_serializer(survey).data, status=status.HTTP_201_CREATED)

    def _transition(self, service):
        survey = service(actor=self.request.user, survey=self.get_object())
        return Response(self.get_serializer(survey).data)

    @extend_schema(request=None, responses=SurveySerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._transition(services.survey_publish)

    @extend_schema(request=None, responses=SurveySerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._transition(services.survey_close)

    @extend_schema(request=None, responses={201: SurveySerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        survey = services.survey_new_version(actor=request.user, survey=self.get_object())
        return Response(self.get_serializer(survey).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "SurveyResults",
            {
                "survey": serializers.IntegerField(),
                "responses": serializers.IntegerField(),
                "questions": serializers.ListField(child=serializers.DictField()),
                "needs_ranking": serializers.ListField(
                    child=serializers.DictField(), allow_null=True
                ),
            },
        ),
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Counts and percentages per option, rating distribution and mean, free
        texts; for a needs survey the needs ranked per domain."""
        survey = self.get_object()
        results = selectors.survey_results(survey)
        questions = []
        for item in results["questions"]:
            q = item["question"]
            entry = {"question": q.pk, "text": q.text, "kind": q.kind, "answered": item["answered"]}
            for key in ("options", "ratings", "mean", "satisfied_percent", "texts"):
                if key in item:
                    entry[key] = item[key]
            questions.append(entry)
        ranking = selectors.needs_ranking(survey) if survey.kind == SurveyKind.NEEDS else None
        if ranking is not None:
            ranking = [{**g, "label": str(g["label"])} for g in ranking]
        return Response(
            {
                "survey": survey.pk,
                "responses": results["responses"],
                "questions": questions,
                "needs_ranking": ranking,
            }
        )


class QuestionViewSet(ScopedModelViewSet):
    """Questions of the surveys in scope. POST adds one (with its options) to a
    draft survey; a published survey refuses it."""

    queryset = Question.objects.prefetch_related("options").order_by("survey", "position", "pk")
    serializer_class = QuestionSerializer
    filterset_class = filtersets.QuestionFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = _valid(QuestionSerializer, self)
        survey = data.pop("survey")
        options = [(o["label"], o.get("domain", "")) for o in data.pop("options", [])]
        question = services.question_add(actor=request.user, survey=survey, options=options, **data)
        question = self.get_queryset().get(pk=question.pk)
        return Response(self.get_serializer(question).data, status=status.HTTP_201_CREATED)
