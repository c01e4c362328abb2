import { access } from 'node:fs/promises';

/** Whether anything exists at `file` (a file or a folder). */
export async function pathExists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
