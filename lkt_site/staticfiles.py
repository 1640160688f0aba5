from django.contrib.staticfiles.finders import AppDirectoriesFinder as DjangoAppDirectoriesFinder


class AppDirectoriesFinder(DjangoAppDirectoriesFinder):
    """Django's finder for apps' ``static/`` folders, leaving out what Viewflow 2.4's wheel ships but LKT never loads.

    * ``node_modules`` folders: npm build leftovers, copies of the fonts and scripts Viewflow serves from
      ``fonts/`` and ``js/``. One of them, ``roboto-fontface/css/roboto/roboto-fontface.css``, points at font
      files that are not in the wheel, and the manifest storage rightly refuses to collect a stylesheet with a
      broken reference. Nothing refers to these copies, so they are not collected at all.
    * ``viewflow/js/contrib/``: the Plotly Dash and Swagger UI bundles (22 MB) of Viewflow's optional contrib
      apps, which LKT does not install.

    Only collecting is affected (``runserver`` in development still finds every file). Everything collected is
    post-processed strictly: a reference to a missing file fails collectstatic.
    """

    IGNORE_PATTERNS = ["node_modules", "viewflow/js/contrib/*"]

    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *self.IGNORE_PATTERNS])
