"""Map the repository layout onto import packages.

The brief fixes the folders (``core/``, ``plugins/``, ``themes/``) while Python wants import names
(``placette``, ``placette_plugins``, ``placette_themes``).  Computing the packages here means a new
plugin folder is picked up without editing any list; templates, static files, catalogues and
migration scripts travel as package data in both the wheel and the editable install.
"""
from setuptools import find_packages, setup

ROOTS = {"placette": "core", "placette_plugins": "plugins", "placette_themes": "themes"}
DATA = ["**/*.html", "**/*.txt", "**/*.css", "**/*.js", "**/*.svg", "**/*.png", "**/*.jpg",
        "**/*.ico", "**/*.po", "**/*.mo", "**/*.pot", "**/*.toml", "**/*.json", "**/*.md",
        "**/*.pdf", "**/*.odt", "**/*.woff2", "**/*.tmpl"]

packages, package_dir = [], {}
for name, folder in ROOTS.items():
    packages.append(name)
    package_dir[name] = folder
    for sub in find_packages(folder):
        packages.append(f"{name}.{sub}")

setup(packages=packages, package_dir=package_dir,
      package_data={name: DATA for name in ROOTS})
