/** Readers and writers of the files users bring: VASP (POSCAR, LOCPOT/CHGCAR, OUTCAR, vasprun.xml, NEB), cube, labels. */
export { FormatError, formatErrorMessage, isFormatError } from './errors';
export type { FormatErrorCode, FormatErrorInit } from './errors';
export { parseFortranNumber, parseNumberBytes, FloatScanner } from './numbers';
export { isGzip, CappedGunzip, gunzipCapped, gunzipChunks, sniffGzipStream, DEFAULT_MAX_DECOMPRESSED_BYTES } from './gzip';
export { parsePoscar, parsePoscarLines, poscarLineCount, writePoscar } from './poscar';
export type { PoscarOptions, PoscarResult, PoscarWriteOptions, SpeciesSource } from './poscar';
export {
  VolumetricParser,
  parseVolumetric,
  parseVolumetricStream,
  writeVolumetric,
  writeVolumetricChunks,
  formatVaspNumber,
  chargeDensityPerA3,
  volumetricKindFromName,
  volumetricUnits,
  DEFAULT_MAX_POINTS,
} from './volumetric';
export type { VolumetricData, VolumetricKind, VolumetricOptions, VolumetricReadOptions, VolumetricWriteOptions } from './volumetric';
export { OutcarScanner, parseOutcar, parseOutcarStream, requireFinalEnergy } from './outcar';
export type { OutcarSummary, IonicStepEnergies } from './outcar';
export { VasprunScanner, parseVasprun, parseVasprunStream } from './vasprun';
export type { VasprunSummary } from './vasprun';
export { parseNebRun, squaredImageDistance } from './neb';
export type { NebImage, NebRun, NebOptions } from './neb';
export { CubeParser, parseCube, parseCubeStream, writeCube, writeCubeChunks, BOHR_TO_ANGSTROM, HARTREE_TO_EV } from './cube';
export type { CubeData, CubeOptions, CubeQuantity } from './cube';
export { parseLabelsCsv, writeLabelsCsv, csvRecords, isSiteKind, SITE_KINDS, LABELS_REQUIRED_COLUMNS } from './labels-csv';
export type { LabelRow, SiteKind } from './labels-csv';
export { sniffFormat } from './sniff';
export type { SniffResult, SniffedFormat } from './sniff';
export { ELEMENT_SYMBOLS, atomicNumber } from './elements';
