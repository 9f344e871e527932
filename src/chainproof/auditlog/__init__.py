"""The audit log as people and auditors see it: pages, the API and `chainproof audit`.

The trail itself (events, hashing, writing) is ``chainproof.audit``, at the bottom so
every app can write to it; this app sits above the access helper it needs."""
