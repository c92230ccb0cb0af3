import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The file operations the engine performs; tests wrap them to make a write fail part-way. */
export interface FileSystem {
  /** The file's text, or null when it does not exist. */
  read(path: string): Promise<string | null>;
  /** Writes through a temp file in the same folder and a rename, so readers never see half a file. */
  writeAtomic(path: string, content: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** Creates the folder and its parents; returns the topmost folder it created, if any. */
  mkdirp(path: string): Promise<string | undefined>;
}

export const nodeFileSystem: FileSystem = {
  async read(path) {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  },
  async writeAtomic(path, content) {
    const temp = join(dirname(path), `.${basename(path)}.${String(process.pid)}-${randomBytes(4).toString('hex')}.tmp`);
    const mode = await stat(path).then(
      (s) => s.mode & 0o777,
      () => undefined,
    );
    try {
      await writeFile(temp, content, { encoding: 'utf8', flag: 'wx' });
      if (mode !== undefined) await chmod(temp, mode);
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  },
  async remove(path) {
    await rm(path, { force: true, recursive: true });
  },
  mkdirp: (path) => mkdir(path, { recursive: true }),
};
