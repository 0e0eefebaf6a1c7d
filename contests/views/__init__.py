"""Pages of the contest «Наша история успеха»: editions and their stages (``editions``),
nominations with criteria and jury (``jury``), applications with materials
(``applications``), the juror's scoring (``reviews``), results with places and diplomas,
the public page of winners and the bank of best practices (``results``).

Every permission question goes to ``contests.rules``; each page passes the actions the
user may take now (``rules.*_actions``) to its template."""
