"""File formats: reading and writing the files people send and receive.

The domain validates plain Python values; everything that knows a file format lives here
(settings-free: callers pass limits and options as parameters):

- workbooks and tables: the hostile-file checks and bounded reading of .xlsx archives
  (``xlsx``), CSV decoding (``csv``), tables read into rows for
  ``chainproof.domain.tabular`` (``tables``), the questionnaire workbook both ways
  (``questionnaire_workbook``) and the one rule for writing cells from user data
  (``cells``);
- supporting documents: what a file is and whether it is accepted (``documents``, built
  on ``sniffing``, ``office_check``, ``pdf_scan`` and ``text_files``), from bytes or from
  a file on disk in bounded memory;
- their words, for search (``extract``: text layers in ``text_layers``, OCR with
  Tesseract in ``ocr``, the passage shown with a hit in ``passages``, the result and its
  errors in ``extracted``).
"""
