"""Reports: the Strategic Assessment, the TTCG tasking pack and the ASB report.

``csphub.reports.svg`` draws the charts and maps as plain SVG on the server, so the HTML page
and the PDF made from it (WeasyPrint) show the same picture without any network access.
"""
