/** A file picked or dropped in the browser, with its path relative to what the user chose. */
export interface PickedFile {
  file: File;
  path: string;
}

export interface UploadGroup {
  key: string;
  label: string;
  files: PickedFile[];
}

/**
 * Split a selection into upload requests, one per surface folder, so a bad folder does not stop the others and can be
 * retried alone. Files at the top level form one group; `a/b/...` goes with folder `a` (a surface folder with its
 * sites/ and neb/ subfolders), or with `a/b` when `a` only wraps several surface folders.
 */
export function groupForUpload(picked: PickedFile[]): UploadGroup[] {
  const topLevelFiles = new Set(
    picked.filter((p) => p.path.split('/').length === 2).map((p) => p.path.split('/')[0]),
  );
  const groups = new Map<string, UploadGroup>();
  for (const p of picked) {
    const parts = p.path.split('/');
    let key = '';
    if (parts.length > 1) {
      // A wrapper folder with no files of its own holds several surfaces: group by its children instead.
      key = topLevelFiles.has(parts[0]) || parts.length === 2 ? parts[0] : parts.slice(0, 2).join('/');
    }
    const group = groups.get(key) ?? { key, label: key || 'files without a folder', files: [] };
    group.files.push(p);
    groups.set(key, group);
  }
  return [...groups.values()];
}

interface FsEntry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?: (ok: (f: File) => void, fail: (e: unknown) => void) => void;
  createReader?: () => { readEntries: (ok: (e: FsEntry[]) => void, fail: (e: unknown) => void) => void };
}

async function walk(entry: FsEntry, prefix: string, out: PickedFile[]): Promise<void> {
  if (entry.isFile && entry.file) {
    const file = await new Promise<File>((ok, fail) => entry.file!(ok, fail));
    out.push({ file, path: prefix + entry.name });
  } else if (entry.isDirectory && entry.createReader) {
    const reader = entry.createReader();
    // readEntries returns at most ~100 entries per call: read until it returns none.
    for (;;) {
      const batch = await new Promise<FsEntry[]>((ok, fail) => reader.readEntries(ok, fail));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, `${prefix}${entry.name}/`, out);
    }
  }
}

/** Files (and whole folders) from a drop event, with relative paths. */
export async function filesFromDrop(items: DataTransferItemList): Promise<PickedFile[]> {
  const entries: FsEntry[] = [];
  for (const item of Array.from(items)) {
    const entry = (item as DataTransferItem & { webkitGetAsEntry?: () => FsEntry | null }).webkitGetAsEntry?.();
    if (entry) entries.push(entry);
  }
  const out: PickedFile[] = [];
  for (const entry of entries) await walk(entry, '', out);
  return out;
}

/** Files from an <input type="file"> (with webkitdirectory the relative path is kept). */
export function filesFromInput(list: FileList): PickedFile[] {
  return Array.from(list).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}
