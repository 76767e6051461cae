"""Writing the site without losing anything: a staged folder swapped in whole (writer), which folders kbgen may
replace (ownership), one build of a project at a time (locks), and the stamp that says the site is up to date
(freshness)."""
