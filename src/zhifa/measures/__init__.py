"""Compulsory measures and criminal referral (强制措施与移送), built on the cases app:

* 先行登记保存 (行政处罚法第五十六条) — ``EvidencePreservation``;
* 查封、扣押 (行政强制法第十八条、第十九条、第二十二条至第二十八条) — ``Seizure``;
* 行刑衔接 (行政执法机关移送涉嫌犯罪案件的规定) — ``CriminalReferral``;
* 证据共享 (浙江省综合行政执法条例第十八条) — ``SharedEvidence``.

The head approves through the cases app's approvals inbox (``register_approval_kind``); a referral
under way feeds the case's facts, so that no penalty replaces it (移送规定第十一条). The pure rules
live in :mod:`zhifa.measures.rules`.
"""
