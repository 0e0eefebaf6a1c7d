"""What the read API returns. Field names are English, values as stored; labels of choices
are given beside their codes (``status`` and ``status_label``)."""

from __future__ import annotations

from rest_framework import serializers


class RegionSerializer(serializers.Serializer):
    code = serializers.IntegerField()
    name = serializers.CharField()


class MunicipalitySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    region = serializers.IntegerField(source="region.code")


class SchoolRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    login = serializers.CharField()
    short_name = serializers.CharField()


class SchoolYearSerializer(serializers.Serializer):
    school = SchoolRefSerializer()
    full_name = serializers.CharField(source="school.full_name")
    inn = serializers.CharField(source="school.inn")
    municipality = serializers.CharField(source="school.municipality.name")
    region = serializers.IntegerField(source="region.code")
    year = serializers.IntegerField()
    is_shnor = serializers.BooleanField()
    is_shssu = serializers.BooleanField()
    is_participant = serializers.BooleanField()
    category = serializers.CharField()
    ior = serializers.DecimalField(max_digits=6, decimal_places=3, allow_null=True,
                                   coerce_to_string=False)
    isb = serializers.DecimalField(max_digits=6, decimal_places=3, allow_null=True,
                                   coerce_to_string=False)
    group = serializers.CharField(allow_blank=True)


class RiskProfileSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    school = SchoolRefSerializer()
    year = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    activated = serializers.ListField(child=serializers.CharField())
    submitted_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)


class VersionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    number = serializers.IntegerField()
    original_name = serializers.CharField()
    extension = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class DocumentSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    school = SchoolRefSerializer()
    year = serializers.IntegerField()
    kind = serializers.CharField(source="kind.code")
    kind_title = serializers.CharField(source="kind.title")
    risk_factor = serializers.CharField(source="risk_factor.code", allow_null=True,
                                        default=None)
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    versions = VersionSerializer(many=True, source="listed_versions")


class AssignmentSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    curator = serializers.CharField(source="curator.full_name")
    school = SchoolRefSerializer()
    year = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)


class EngagementSerializer(serializers.Serializer):
    region = serializers.IntegerField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    year = serializers.IntegerField()
    content = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True,
                                       coerce_to_string=False)
    organisation = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True,
                                            coerce_to_string=False)
    total = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True,
                                     coerce_to_string=False)
    final = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True,
                                     coerce_to_string=False)
    published_at = serializers.DateTimeField(allow_null=True)


class AreaSerializer(serializers.Serializer):
    """A dashboard row: a municipality (one region) or a region (several)."""

    name = serializers.CharField()
    hidden = serializers.BooleanField()
    schools = serializers.IntegerField(allow_null=True)
    documents_due = serializers.IntegerField(allow_null=True, source="due")
    documents_uploaded = serializers.IntegerField(allow_null=True, source="uploaded")
    documents_submitted = serializers.IntegerField(allow_null=True, source="submitted")
    documents_approved = serializers.IntegerField(allow_null=True, source="approved")
    documents_returned = serializers.IntegerField(allow_null=True, source="returned")
    measures = serializers.IntegerField(allow_null=True)
    measures_overdue = serializers.IntegerField(allow_null=True, source="overdue")
    staff = serializers.IntegerField(allow_null=True)
    trained = serializers.IntegerField(allow_null=True)
    trained_percent = serializers.IntegerField(allow_null=True)
    methodists = serializers.IntegerField(allow_null=True)


class TerritoryValueSerializer(serializers.Serializer):
    territory = serializers.CharField(source="name")
    value = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True,
                                     coerce_to_string=False, source="figure")
    previous = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True,
                                        coerce_to_string=False, source="previous_figure",
                                        help_text="значение того же показателя годом раньше")
    target = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True,
                                      coerce_to_string=False, source="goal")
    met = serializers.BooleanField(allow_null=True)
    computed_at = serializers.DateTimeField(allow_null=True, source="value.computed_at",
                                            default=None)


class IndicatorSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    region = serializers.IntegerField(source="region.code")
    year = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField()
    source = serializers.CharField()
    territories = TerritoryValueSerializer(many=True)


class CoveredSerializer(serializers.Serializer):
    """Who of the active staff completed a course: a subject or the total."""

    name = serializers.CharField(source="label")
    staff = serializers.IntegerField()
    trained = serializers.IntegerField()
    trained_percent = serializers.IntegerField(source="share", allow_null=True)


class CoveredPlaceSerializer(CoveredSerializer):
    """A municipality of the training coverage (or, below, a school)."""

    id = serializers.UUIDField(source="obj.public_id")
    schools = serializers.IntegerField()


class CoveredSchoolSerializer(CoveredPlaceSerializer):
    login = serializers.CharField(source="obj.login")
    municipality = serializers.CharField(source="obj.municipality.name")


class TrainingCoverageSerializer(serializers.Serializer):
    region = serializers.IntegerField(source="region.code")
    year = serializers.IntegerField(allow_null=True)
    period = serializers.CharField()
    schools_total = serializers.IntegerField(source="total.schools", default=0)
    total = CoveredSerializer(allow_null=True)
    municipalities = CoveredPlaceSerializer(many=True, source="by_municipality")
    schools = CoveredSchoolSerializer(many=True, source="by_school")
    subjects = CoveredSerializer(many=True, source="by_subject")


class PoolRowSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="municipality.public_id")
    name = serializers.CharField(source="municipality.name")
    shnor = serializers.IntegerField()
    methodists = serializers.IntegerField()
    tutors = serializers.IntegerField()
    uncovered = serializers.BooleanField()


class PoolCoverageSerializer(serializers.Serializer):
    region = serializers.SerializerMethodField()
    year = serializers.IntegerField(allow_null=True)
    shnor = serializers.IntegerField()
    methodists = serializers.IntegerField(source="total")
    in_shnor_municipalities = serializers.IntegerField()
    elsewhere = serializers.IntegerField()
    municipalities = PoolRowSerializer(many=True, source="rows")

    def get_region(self, obj) -> int:
        return self.context["region"].code
