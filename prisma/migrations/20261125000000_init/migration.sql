-- CreateTable
CREATE TABLE "Dataset" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "muLiReference" TEXT NOT NULL DEFAULT 'bcc',
    "muLiEv" REAL,
    "settingsJson" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Surface" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "datasetId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "host" TEXT,
    "phase" TEXT,
    "dopant" TEXT,
    "eSlabEv" REAL,
    "structureJson" TEXT NOT NULL,
    "sourceFilesJson" TEXT NOT NULL,
    "metaJson" TEXT NOT NULL DEFAULT '{}',
    "labelsJson" TEXT NOT NULL DEFAULT '[]',
    "extractionJson" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Surface_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Grid" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "surfaceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "nx" INTEGER NOT NULL,
    "ny" INTEGER NOT NULL,
    "nz" INTEGER NOT NULL,
    "latticeJson" TEXT NOT NULL,
    "minValue" REAL NOT NULL,
    "maxValue" REAL NOT NULL,
    "meanValue" REAL NOT NULL,
    "vacuumShiftEv" REAL,
    "vacuumJson" TEXT,
    "sourceFile" TEXT NOT NULL,
    "chunkCount" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Grid_surfaceId_fkey" FOREIGN KEY ("surfaceId") REFERENCES "Surface" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GridChunk" (
    "gridId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "valueCount" INTEGER NOT NULL,
    "data" BLOB NOT NULL,

    PRIMARY KEY ("gridId", "index"),
    CONSTRAINT "GridChunk_gridId_fkey" FOREIGN KEY ("gridId") REFERENCES "Grid" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Site" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "surfaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "x" REAL NOT NULL,
    "y" REAL NOT NULL,
    "z" REAL NOT NULL,
    "fracX" REAL NOT NULL,
    "fracY" REAL NOT NULL,
    "symmetryGroup" INTEGER,
    "dopantDistanceA" REAL,
    "directionRad" REAL,
    "mepV" REAL,
    "epdi" BLOB,
    "epdiPixels" INTEGER,
    CONSTRAINT "Site_surfaceId_fkey" FOREIGN KEY ("surfaceId") REFERENCES "Surface" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Label" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "siteId" TEXT NOT NULL,
    "eTotalEv" REAL,
    "eBindingEv" REAL,
    "source" TEXT NOT NULL,
    "provenance" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Label_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Hop" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "surfaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "fromSiteId" TEXT NOT NULL,
    "saddleSiteId" TEXT NOT NULL,
    "toSiteId" TEXT NOT NULL,
    "sSaddle" REAL NOT NULL DEFAULT 0.5,
    CONSTRAINT "Hop_surfaceId_fkey" FOREIGN KEY ("surfaceId") REFERENCES "Surface" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Hop_fromSiteId_fkey" FOREIGN KEY ("fromSiteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Hop_saddleSiteId_fkey" FOREIGN KEY ("saddleSiteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Hop_toSiteId_fkey" FOREIGN KEY ("toSiteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "NebRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "surfaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "imagesJson" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "NebRun_surfaceId_fkey" FOREIGN KEY ("surfaceId") REFERENCES "Surface" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Model" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "datasetId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "backbone" TEXT NOT NULL,
    "head" TEXT NOT NULL,
    "settingsJson" TEXT NOT NULL,
    "metricsJson" TEXT NOT NULL DEFAULT '{}',
    "trainingSiteIdsJson" TEXT NOT NULL DEFAULT '[]',
    "artefacts" BLOB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Model_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Prediction" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "modelId" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "valueEv" REAL NOT NULL,
    "sigmaEv" REAL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Prediction_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Prediction_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "datasetId" TEXT,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "progress" REAL NOT NULL DEFAULT 0,
    "message" TEXT NOT NULL DEFAULT '',
    "error" TEXT,
    "inputJson" TEXT NOT NULL DEFAULT '{}',
    "resultJson" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Job_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Dataset_name_key" ON "Dataset"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Surface_datasetId_name_key" ON "Surface"("datasetId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Site_surfaceId_name_key" ON "Site"("surfaceId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Hop_surfaceId_name_key" ON "Hop"("surfaceId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "NebRun_surfaceId_name_key" ON "NebRun"("surfaceId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Prediction_modelId_siteId_key" ON "Prediction"("modelId", "siteId");

