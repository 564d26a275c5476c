'use client';

import type { RefObject } from 'react';
import { filesFromInput, type PickedFile } from '@/lib/client/upload-groups';

/**
 * The two hidden inputs behind "Choose files" and "Choose a folder" buttons (the buttons click them through the
 * refs): picked files go to `onFiles` with their relative paths, and the input is cleared so the same pick works twice.
 */
export function HiddenFilePickers({
  fileRef,
  folderRef,
  filesLabel,
  folderLabel,
  onFiles,
}: {
  fileRef: RefObject<HTMLInputElement | null>;
  folderRef: RefObject<HTMLInputElement | null>;
  filesLabel: string;
  folderLabel: string;
  onFiles: (files: PickedFile[]) => void;
}) {
  const onChange = (e: React.ChangeEvent<HTMLInputElement>): void => {
    if (e.target.files) onFiles(filesFromInput(e.target.files));
    e.target.value = '';
  };
  return (
    <>
      <input ref={fileRef} type="file" multiple hidden aria-label={filesLabel} onChange={onChange} />
      <input
        ref={folderRef}
        type="file"
        multiple
        hidden
        aria-label={folderLabel}
        {...({ webkitdirectory: '' } as Record<string, string>)}
        onChange={onChange}
      />
    </>
  );
}
