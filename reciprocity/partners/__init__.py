"""Partner organisations (coordinators, national agencies, hosts, senders, intermediaries),
their contacts and their accreditations per scheme."""
