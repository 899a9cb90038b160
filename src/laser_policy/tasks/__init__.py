"""Measures, units and tasks (督办): progress reports, the reporting calendar, flags and
major projects.

- :mod:`.schedule` — periods (``2025Q3``/``2025H1``/``2025``), who reports on what, due dates;
- :mod:`.models` — the ``progress_reports`` table on the store's declarative base;
- :mod:`.reports` — submit (validated, upserted, audited) and list progress reports;
- :mod:`.contradictions` — declarative table of "reported done, but the data says otherwise";
- :mod:`.flags` — red/amber/green per measure and unit with the reason;
- :mod:`.projects` — major projects: investment, milestones, delays;
- :mod:`.excel_form` — the Excel progress form units fill in: write, import.
"""
