# The English interface keeps Vietnamese dates (dd/mm/yyyy): the documents are Vietnamese.
from dangbo.formats.vi.formats import *  # noqa: F403
