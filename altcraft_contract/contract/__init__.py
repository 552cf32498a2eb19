"""Layer 1, the contract as data: the schemas and XSDs, the clause table and its text, a request and
its expected answer (``Call``, ``Expect``), the target file, and the input model with its verdicts.
Imports nothing above it."""
