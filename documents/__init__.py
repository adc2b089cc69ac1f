"""PDF rendering with WeasyPrint: templates, fonts, render functions. Renders; never queries."""
