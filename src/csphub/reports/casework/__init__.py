"""The partnership hub's casework in the products (ASB report, tasking pack), read from the
hub's database without Django (:mod:`.hub`) and shown as counts and places (:mod:`.sections`)."""
