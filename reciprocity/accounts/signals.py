"""Events of an account that its owner must hear about.

accounts sits below notifications (a notification row names a user), so accounts cannot call
`notifications.services.notify`. It sends `account_security_event` instead and notifications
answers it (notifications/receivers.py, connected in its AppConfig.ready): the in-app row and
the e-mail after commit, as before. Sent inside the use-case's transaction, so a change that
rolls back tells nobody.
"""

from django.dispatch import Signal

# Arguments: user (accounts.User), verb (a short code), subject and body (lazy translations,
# rendered in the user's language by the receiver).
account_security_event = Signal()
