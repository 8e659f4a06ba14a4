import enum


class MedicineSource(enum.StrEnum):
    GP_RECORD = "gp_record"
    HOSPITAL_DISCHARGE_LETTER = "hospital_discharge_letter"
    PHARMACIST = "pharmacist"
    SELF_REPORTED = "self_reported"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Route(enum.StrEnum):
    ORAL = "oral"
    INHALED = "inhaled"
    TOPICAL = "topical"
    INJECTION = "injection"
    TRANSDERMAL = "transdermal"
    OTHER = "other"
