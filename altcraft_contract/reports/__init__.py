"""Layer 6, reports: results as plain data, the terminal summary, results.json, report.html, JUnit and
every exit filtered, docs/CONTRACT.md, and upgrade baselines. Reporters only read results."""
