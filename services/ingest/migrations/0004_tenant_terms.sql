-- Each tenant's vocabulary, for typo tolerance in hybrid retrieval: the Porter stem of every word of 4 or more
-- letters its chunks hold (titles and headings too). Written with each commit; a document's delete drops the stems
-- no other chunk of the tenant holds. A new version of a document leaves its old words: a correction to one of them
-- matches nothing.
CREATE TABLE tenant_terms (
  tenant_id TEXT NOT NULL,
  term TEXT NOT NULL,
  PRIMARY KEY (tenant_id, term)
) WITHOUT ROWID;
