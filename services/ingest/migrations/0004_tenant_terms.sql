-- Each tenant's vocabulary, for typo tolerance in hybrid retrieval: the Porter stem of every word of 4 or more
-- letters its chunks have held (titles and headings too). Written with each commit and never pruned: a stem whose
-- last chunk went stays, and a correction to it then matches nothing.
CREATE TABLE tenant_terms (
  tenant_id TEXT NOT NULL,
  term TEXT NOT NULL,
  PRIMARY KEY (tenant_id, term)
) WITHOUT ROWID;
