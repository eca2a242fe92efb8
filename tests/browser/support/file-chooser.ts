import type { Page } from 'playwright-core';

export interface ChosenFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/**
 * Chooses files the way a person does on an AgDS file upload: its "Select file(s), <label>" button opens the
 * browser's file chooser (the input itself is visually hidden and has no label of its own).
 */
export async function chooseFiles(page: Page, field: string, files: ChosenFile | ChosenFile[] | string | string[]) {
  const button = page.getByRole('button', { name: new RegExp(`^Select files?, ${field}`) });
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), button.click()]);
  await chooser.setFiles(files);
}
