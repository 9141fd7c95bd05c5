/** File picker, folder picker and drop zone: the three ways to add videos. */
import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { VIDEO_EXTENSIONS } from '../../library/videoRecord';
import { keyHint, viewActions } from '../keyboard';
import { useWorkbench } from '../store';

const ACCEPT = ['video/*', ...VIDEO_EXTENSIONS.map((e) => `.${e}`)].join(',');

export function AddVideoButtons() {
  const addFiles = useWorkbench((s) => s.addFiles);
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);

  useEffect(() => {
    viewActions.openFilePicker = () => files.current?.click();
    viewActions.openFolderPicker = () => folder.current?.click();
  }, []);

  const take = (input: HTMLInputElement, fromFolder: boolean) => {
    const list = Array.from(input.files ?? []);
    input.value = ''; // so picking the same file again fires change
    void addFiles(list, { fromFolder });
  };

  return (
    <div className="add-buttons">
      <button type="button" className="primary" title={keyHint('add-files')} onClick={() => files.current?.click()}>Add videos</button>
      <button type="button" title={keyHint('add-folder')} onClick={() => folder.current?.click()}>Add folder</button>
      <input ref={files} data-testid="file-input" type="file" multiple accept={ACCEPT} hidden onChange={(e) => take(e.currentTarget, false)} />
      <input
        ref={folder}
        data-testid="folder-input"
        type="file"
        hidden
        onChange={(e) => take(e.currentTarget, true)}
        {...({ webkitdirectory: '', directory: '' } as object)}
      />
    </div>
  );
}

/** Accepts files and folders dropped anywhere on its children. */
export function DropZone({ children }: { children: ReactNode }) {
  const addFiles = useWorkbench((s) => s.addFiles);
  const [over, setOver] = useState(false);

  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    try {
      const { files, fromFolder } = await filesFromDrop(event.dataTransfer);
      await addFiles(files, { fromFolder });
    } catch (error) {
      useWorkbench.getState().addLog('error', 'drop', `could not read the dropped items: ${(error as Error).message}`);
    }
  };

  return (
    <div
      className={`drop-zone${over ? ' over' : ''}`}
      data-testid="drop-zone"
      onDragOver={(e) => { e.preventDefault(); setOver(true); }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      {children}
      {over && <div className="drop-hint">Drop videos or folders to add them</div>}
    </div>
  );
}

/** Files from a drop, walking into dropped folders. */
async function filesFromDrop(data: DataTransfer): Promise<{ files: File[]; fromFolder: boolean }> {
  const entries = Array.from(data.items).map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (!entries.some((e) => e.isDirectory)) return { files: Array.from(data.files), fromFolder: false };
  const files: File[] = [];
  for (const entry of entries) await walk(entry, '', files);
  return { files, fromFolder: true };
}

async function walk(entry: FileSystemEntry, prefix: string, out: File[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
    Object.defineProperty(file, 'webkitRelativePath', { value: path });
    out.push(file);
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
    if (batch.length === 0) return;
    for (const child of batch) await walk(child, path, out);
  }
}
