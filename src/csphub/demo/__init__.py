"""The synthetic demo borough, Brackwater: geography, people and three years of crime.

``generate_demo`` writes files in the formats real data comes in (data.police.uk street and
outcomes CSVs, ONS boundaries and lookups, IoD2019, SAPE, partner extracts); ``csphub demo``
then loads them through the ordinary ingest code.
"""

from csphub.demo.generate import DemoFiles, generate_demo

__all__ = ["DemoFiles", "generate_demo"]
