from django.urls import path

from .views import desk, party

app_name = "partyspace"
urlpatterns = [
    # the party's own space
    path("", party.sign_in_page, name="sign_in"),
    path("sign-out/", party.sign_out_view, name="sign_out"),
    path("home/", party.home, name="home"),
    path("home/cases/", party.case_list, name="cases"),
    path("home/cases/<int:case_id>/", party.case_detail, name="case"),
    path("home/cases/<int:case_id>/statement/", party.file_statement, name="statement"),
    path("home/cases/<int:case_id>/waive/", party.waive, name="waive"),
    path("home/cases/<int:case_id>/hearing/", party.request_hearing, name="request_hearing"),
    path("home/cases/<int:case_id>/hearing/join/", party.join_hearing, name="join_hearing"),
    path("home/cases/<int:case_id>/hearing/room/", party.hearing_room, name="hearing_room"),
    path("home/cases/<int:case_id>/hearing/sign/", party.sign_record, name="sign_record"),
    path("home/cases/<int:case_id>/pay/", party.start_payment, name="pay"),
    path("home/cases/<int:case_id>/deferral/", party.apply_deferral, name="deferral"),
    path("home/cases/<int:case_id>/evidence/<int:evidence_id>/", party.evidence_file, name="device_evidence"),
    path("home/documents/", party.documents, name="documents"),
    path("home/documents/<int:delivery_id>/", party.document, name="document"),
    path("home/documents/<int:delivery_id>/pdf/", party.document_pdf, name="document_pdf"),
    path("home/eservice/", party.consent, name="consent"),
    path("home/inspections/", party.inspections, name="inspections"),
    path("home/rectifications/<int:order_id>/", party.rectification, name="rectification"),
    path("home/credit/", party.credit, name="credit"),
    path("home/notices/<int:notice_id>/read/", party.read_notice, name="read_notice"),
    path("pay/test/<str:reference>/", party.test_gateway, name="test_gateway"),
    path("pay/callback/<slug:channel>/", party.payment_callback, name="payment_callback"),
    # the officers' desk
    path("desk/", desk.desk, name="desk"),
    path(
        "desk/requests/<int:request_id>/register-hearing/",
        desk.register_hearing,
        name="desk_register_hearing",
    ),
    path(
        "desk/requests/<int:request_id>/forward-deferral/",
        desk.forward_deferral,
        name="desk_forward_deferral",
    ),
    path("desk/requests/<int:request_id>/refuse/", desk.refuse, name="desk_refuse"),
    path(
        "desk/requests/<int:request_id>/rectification/", desk.review_rectification, name="desk_rectification"
    ),
    path("desk/requests/<int:request_id>/credit/", desk.decide_credit, name="desk_credit"),
    path("desk/files/<int:file_id>/", desk.party_file, name="desk_file"),
    path("desk/files/<int:file_id>/admit/", desk.admit_evidence, name="desk_admit"),
    path("desk/cases/<int:case_id>/", desk.desk_case, name="desk_case"),
    path("desk/cases/<int:case_id>/deliver/", desk.deliver, name="desk_deliver"),
    path("desk/cases/<int:case_id>/hearing/schedule/", desk.schedule_hearing, name="desk_schedule_hearing"),
    path("desk/cases/<int:case_id>/hearing/hold/", desk.hold_hearing, name="desk_hold_hearing"),
    path("desk/deliveries/<int:delivery_id>/receipt/", desk.receipt, name="desk_receipt"),
]
