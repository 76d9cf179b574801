"""Django's admin autodiscovery imports only this module: it loads each concern's admin."""

import coaching.accounts.admin  # noqa: F401
import coaching.assessments.admin  # noqa: F401
import coaching.privacy.admin  # noqa: F401
