"""The read API (``/api/v1/``): every list reads through the same scoped selectors, facts
and FilterSets as the pages, so a token sees exactly what its user's pages show. Lists of
single records (schools, profiles, documents, assignments) are not for an aggregate-only
reader (the federal observer): it reads the dashboard's aggregates, suppressed as there."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.selectors import municipalities_for, regions_for

from . import rules
from . import serializers as s

REFUSED_RECORDS = ("Федеральный наблюдатель читает только сводные показатели: "
                   "/api/v1/dashboard/.")


def _param(name: str, description: str, kind=OpenApiTypes.STR, enum=None) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description,
                            enum=enum)


FORMAT = _param("format", "csv или xlsx — выгрузка страницы вместо JSON", enum=["json", "csv",
                                                                               "xlsx"])


class JsonErrors:
    """An error is JSON whatever format was asked (a CSV of «page not found» helps nobody)."""

    def handle_exception(self, exc):
        from rest_framework.renderers import JSONRenderer

        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


class ScopedList(JsonErrors, generics.ListAPIView):
    """A list of the user's scope. ``records``: rows about single schools."""

    records = True

    def check_permissions(self, request):
        super().check_permissions(request)
        if self.records and not rules.reads_records(request.user):
            raise PermissionDenied(REFUSED_RECORDS)

    def filtered(self, filterset):
        """A FilterSet of the pages: an invalid value is a 400 with its Russian message."""
        if filterset.data and not filterset.is_valid():
            raise ValidationError({k: [str(e) for e in v]
                                   for k, v in filterset.errors.items()})
        return filterset.qs


@extend_schema(tags=["Территории"], parameters=[FORMAT])
class RegionList(ScopedList):
    """Регионы, данные которых видны пользователю токена."""

    serializer_class = s.RegionSerializer
    records = False

    def get_queryset(self):
        return regions_for(self.request.user).order_by("code")


@extend_schema(tags=["Территории"], parameters=[
    _param("region", "код региона", OpenApiTypes.INT), FORMAT])
class MunicipalityList(ScopedList):
    """Муниципалитеты в области видимости пользователя."""

    serializer_class = s.MunicipalitySerializer
    records = False

    def get_queryset(self):
        qs = municipalities_for(self.request.user).select_related("region")
        if (code := _number(self.request, "region")) is not None:
            qs = qs.filter(region__code=code)
        return qs.order_by("region__code", "name", "pk")


@extend_schema(tags=["Школы"], parameters=[
    _param("year", "год программы", OpenApiTypes.INT),
    _param("region", "код региона (для федеральных ролей)", OpenApiTypes.INT),
    _param("municipality", "идентификатор муниципалитета", OpenApiTypes.UUID),
    _param("flag", "признак", enum=["shnor", "shssu", "participant"]),
    _param("category", "категория школы"),
    _param("group", "группа по ИОР и ИСБ", enum=["effective", "resilient", "struggling",
                                                 "deprived"]),
    _param("q", "название, логин или ИНН"), FORMAT])
class SchoolYearList(ScopedList):
    """Школы по годам: признаки ШНОР/ШССУ, категория, ИОР, ИСБ и группа — как в реестре."""

    serializer_class = s.SchoolYearSerializer

    def get_queryset(self):
        from schools.exports import filtered_school_years

        data = {k: v for k, v in self.request.query_params.items()
                if k not in ("page", "page_size", "format")}
        return self.filtered(filtered_school_years(self.request.user, data)).order_by(
            "year", "region__code", "school__login", "pk")


@extend_schema(tags=["Риск-профили"], parameters=[
    _param("year", "год", OpenApiTypes.INT),
    _param("status", "состояние", enum=["draft", "submitted", "verified", "returned"]),
    _param("municipality", "идентификатор муниципалитета", OpenApiTypes.UUID),
    _param("q", "школа или логин"), FORMAT])
class RiskProfileList(ScopedList):
    """Риск-профили школ: состояние и активированные факторы риска."""

    serializer_class = s.RiskProfileSerializer

    def get_queryset(self):
        from risk_profiles.filters import profile_filterset

        filterset = profile_filterset(self.request.user, _filters(self.request))
        return (self.filtered(filterset).select_related("school")
                .prefetch_related("items__factor").order_by("year", "school__login", "pk"))

    def get_serializer(self, *args, **kwargs):
        rows = args[0] if args else None
        for profile in rows or []:
            profile.activated = sorted(i.factor.code for i in profile.items.all()
                                       if i.activated)
        return super().get_serializer(*args, **kwargs)


def _number(request, name: str) -> int | None:
    """A whole-number query parameter (a year, a region's code); anything else is a 400."""
    raw = request.query_params.get(name)
    if not raw:
        return None
    if not raw.isdigit():
        raise ValidationError({name: ["Ожидается целое неотрицательное число."]})
    return int(raw)


def _filters(request) -> dict | None:
    data = {k: v for k, v in request.query_params.items()
            if k not in ("page", "page_size", "format")}
    return data or None


@extend_schema(tags=["Документы"], parameters=[
    _param("year", "год", OpenApiTypes.INT),
    _param("status", "состояние", enum=["draft", "submitted", "approved", "returned"]),
    _param("kind", "код вида документа"),
    _param("municipality", "идентификатор муниципалитета", OpenApiTypes.UUID),
    _param("q", "школа или логин"), FORMAT])
class DocumentList(ScopedList):
    """Документы школ по годам: вид, состояние, сведения о версиях (без содержимого файлов:
    скачивание — через портал, с той же проверкой прав)."""

    serializer_class = s.DocumentSerializer

    def get_queryset(self):
        from roadmaps.filters import document_filterset
        from roadmaps.selectors import with_listed_versions

        filterset = document_filterset(self.request.user, _filters(self.request))
        return with_listed_versions(
            self.filtered(filterset).select_related("school", "kind", "risk_factor")
            .order_by("year", "school__login", "kind__position", "pk"))


@extend_schema(tags=["Кураторы"], parameters=[_param("year", "год", OpenApiTypes.INT), FORMAT])
class AssignmentList(ScopedList):
    """Назначения кураторов школам."""

    serializer_class = s.AssignmentSerializer

    def get_queryset(self):
        from curators.selectors import assignments_for

        qs = assignments_for(self.request.user).select_related("curator", "school")
        if (year := _number(self.request, "year")) is not None:
            qs = qs.filter(year=year)
        return qs.order_by("year", "school__login", "pk")


@extend_schema(tags=["Мониторинг"], parameters=[_param("year", "год", OpenApiTypes.INT), FORMAT])
class EngagementList(ScopedList):
    """Оценки вовлечённости регионов (сводные показатели)."""

    serializer_class = s.EngagementSerializer
    records = False

    def get_queryset(self):
        from monitoring.selectors import scores_for

        qs = scores_for(self.request.user)
        if (year := _number(self.request, "year")) is not None:
            qs = qs.filter(year=year)
        return qs.order_by("year", "region__code", "pk")


class DashboardSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    region = serializers.IntegerField(allow_null=True)
    municipality = serializers.UUIDField(allow_null=True)
    by = serializers.ChoiceField(choices=["municipality", "region"])
    suppressed = serializers.BooleanField()
    areas = s.AreaSerializer(many=True)
    totals = s.AreaSerializer()


@extend_schema(tags=["Мониторинг"], responses=DashboardSerializer, parameters=[
    _param("year", "год", OpenApiTypes.INT), _param("region", "код региона", OpenApiTypes.INT),
    _param("municipality", "идентификатор муниципалитета (число)", OpenApiTypes.INT)])
class Dashboard(JsonErrors, APIView):
    """Сводные показатели панели мониторинга по муниципалитетам (или регионам): документы,
    мероприятия, охват обучением педагогов и методистами РМА — с тем же скрытием малых
    групп, что и на странице."""

    def get(self, request):
        from django.http import Http404

        from monitoring.selectors import dashboard, filters_from

        try:
            board = dashboard(request.user, filters_from(request.user, request.query_params))
        except Http404 as exc:
            raise NotFound(str(exc)) from None
        f = board.filters
        return Response(DashboardSerializer({
            "year": f.year, "region": f.region.code if f.region else None,
            "municipality": f.municipality.public_id if f.municipality else None,
            "by": board.by, "suppressed": board.suppressed, "areas": board.areas,
            "totals": board.totals}).data)


def _region_and_year(request, years_of) -> tuple:
    """The region (its code among the user's, else the first) and the year (among
    ``years_of(region)``, else the newest) of a region's table; outside them a 404."""
    from django.http import Http404

    from core.selectors import region_pick

    code = _number(request, "region")
    year = _number(request, "year")
    try:
        region, _ = region_pick(request.user, code, required=True)
    except Http404 as exc:
        raise NotFound(str(exc)) from None
    years = years_of(region)
    if year is not None and year not in years:
        raise NotFound("Нет перечня ШНОР за этот год.")
    return region, year if year is not None else (years[0] if years else None)


REGION_YEAR = [_param("region", "код региона (по умолчанию первый из доступных)",
                      OpenApiTypes.INT),
               _param("year", "год перечня ШНОР (по умолчанию последний)", OpenApiTypes.INT)]


@extend_schema(tags=["Обучение и РМА"], responses=s.TrainingCoverageSerializer,
               parameters=REGION_YEAR)
class TrainingCoverage(JsonErrors, APIView):
    """Охват педагогов ШНОР повышением квалификации за три года до выбранного: по
    муниципалитетам, школам и предметам — только численность, без имён (как на странице
    «Охват обучением»; муниципальный координатор видит свои муниципалитеты)."""

    def get(self, request):
        from training.selectors import coverage, coverage_narrowing, coverage_years

        rules.ensure(rules.reads_training_coverage(request.user))
        region, year = _region_and_year(request, coverage_years)
        data = coverage(region, year, municipalities=coverage_narrowing(request.user, region))
        return Response(s.TrainingCoverageSerializer(data).data)


@extend_schema(tags=["Обучение и РМА"], responses=s.PoolCoverageSerializer,
               parameters=REGION_YEAR)
class PoolCoverage(JsonErrors, APIView):
    """Охват ШНОР методистами РМА по муниципалитетам: школ ШНОР, активных методистов и
    тьюторов, муниципалитеты без методистов (как на странице «Охват ШНОР методистами»)."""

    def get(self, request):
        from methodists.selectors import pool_coverage, pool_narrowing, pool_years

        rules.ensure(rules.reads_pool_coverage(request.user))
        region, year = _region_and_year(request, pool_years)
        data = pool_coverage(region, year, municipalities=pool_narrowing(request.user, region))
        return Response(s.PoolCoverageSerializer(data, context={"region": region}).data)


@extend_schema(tags=["Управленческий цикл"], parameters=[
    _param("year", "год", OpenApiTypes.INT), _param("region", "код региона", OpenApiTypes.INT),
    FORMAT])
class IndicatorList(ScopedList):
    """Показатели системы работы со ШНОР и ШССУ с целями и значениями по территориям."""

    serializer_class = s.IndicatorSerializer
    records = False

    def get_queryset(self):
        from management.selectors import indicators_for

        qs = indicators_for(self.request.user)
        if (year := _number(self.request, "year")) is not None:
            qs = qs.filter(year=year)
        if (code := _number(self.request, "region")) is not None:
            qs = qs.filter(region__code=code)
        return qs.select_related("region").order_by("region__code", "year", "position", "code")

    def get_serializer(self, *args, **kwargs):
        from management.selectors import territories

        page = list((args[0] if args else None) or [])
        rows = territories(self.request.user, page, with_actions=False)
        for indicator in page:
            indicator.territories = rows[indicator.pk]
        return super().get_serializer(*args, **kwargs)
