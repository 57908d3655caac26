from django.urls import path

from csphub.hub.casework.views import agreements, areas, cases, documents, people, search

urlpatterns = [
    path("cases/", cases.case_list, name="case-list"),
    path("cases/export.csv", cases.case_export, name="case-export"),
    path("cases/new/", cases.case_new, name="case-new"),
    path("cases/<int:pk>/", cases.case_detail, name="case-detail"),
    path("cases/<int:pk>/move/", cases.case_move, name="case-move"),
    path("cases/<int:pk>/owner/", cases.case_owner, name="case-owner"),
    path("cases/<int:pk>/timeline/", cases.case_entry, name="case-entry"),
    path("cases/<int:pk>/share/", cases.case_share, name="case-share"),
    path("cases/<int:pk>/shares/<int:share_pk>/end/", cases.case_share_end, name="case-share-end"),
    path("cases/<int:pk>/risk/", cases.case_risk, name="case-risk"),
    path("cases/<int:pk>/agenda/", cases.case_agenda, name="case-agenda"),
    path("cases/<int:pk>/people/add/", people.case_person_add, name="case-person-add"),
    path("cases/<int:pk>/people/link/", people.case_person_link, name="case-person-link"),
    path("cases/<int:pk>/places/add/", people.case_place_add, name="case-place-add"),
    path("cases/<int:pk>/documents/add/", documents.document_add, name="case-document-add"),
    path("documents/<int:pk>/", documents.document_download, name="document-download"),
    path("people/<int:pk>/", people.person_detail, name="person-detail"),
    path("people/<int:pk>/addresses/add/", people.person_address, name="person-address"),
    path("people/<int:pk>/contacts/add/", people.person_contact, name="person-contact"),
    path("places/<int:pk>/", people.place_detail, name="place-detail"),
    path("places/in/<str:lsoa>/", areas.places_in_lsoa, name="places-in-lsoa"),
    path("search/", search.search_page, name="search"),
    path("casework/agreements/", agreements.agreement_list, name="agreement-list"),
    path("casework/agreements/new/", agreements.agreement_new, name="agreement-new"),
]
