"""The app's pages, one module per seam: ``documents`` (school documents), ``kinds`` (their
configuration), ``plans`` (roadmaps), ``items`` (measures and the overdue list),
``schedule`` (the plan-schedule) and ``imports`` (a roadmap loaded from a file)."""
