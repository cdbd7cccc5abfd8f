"""In-app notifications and e-mail, sent only after the transaction commits."""
