"""Hand-back to the HIS and exchange between workstations (Qt-free).

HL7 v2 ADT over MLLP, FHIR R4 transactions and files for the HIS; HIS snapshots
read from watched folders; encrypted bundles between workstations. Reaches the
store only through ``continuity.services``.
"""
