"""The static site of the dataset (``edugraph docs``): plain HTML and one CSS file, readable from
the file system. :mod:`edugraph.render.site.write` puts it together and writes it."""
