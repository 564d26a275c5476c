-- The dataset's one mu_Li record: where the value came from.
ALTER TABLE "Dataset" ADD COLUMN "muLiNote" TEXT NOT NULL DEFAULT '';
