from caremap.core.enums import LabelledEnum, labelled


class MedicineSource(LabelledEnum):
    GP_RECORD = "gp_record"
    HOSPITAL_DISCHARGE_LETTER = "hospital_discharge_letter"
    PHARMACIST = "pharmacist"
    SELF_REPORTED = "self_reported"


labelled(
    MedicineSource,
    {
        MedicineSource.GP_RECORD: "Gp record",
        MedicineSource.HOSPITAL_DISCHARGE_LETTER: "Hospital discharge letter",
        MedicineSource.PHARMACIST: "Pharmacist",
        MedicineSource.SELF_REPORTED: "Self reported",
    },
)


class Route(LabelledEnum):
    ORAL = "oral"
    INHALED = "inhaled"
    TOPICAL = "topical"
    INJECTION = "injection"
    TRANSDERMAL = "transdermal"
    OTHER = "other"


labelled(
    Route,
    {
        Route.ORAL: "Oral",
        Route.INHALED: "Inhaled",
        Route.TOPICAL: "Topical",
        Route.INJECTION: "Injection",
        Route.TRANSDERMAL: "Transdermal",
        Route.OTHER: "Other",
    },
)
