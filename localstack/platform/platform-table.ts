/** One row of the table `npm start` prints: a part of the platform and where it runs. */
export interface ComponentRow {
  component: string;
  where: string;
  how: string;
}

/** Formats rows as an aligned plain-text table with a header and a rule under it. */
export function formatTable(rows: readonly ComponentRow[]): string {
  const header: ComponentRow = { component: 'component', where: 'where', how: 'how' };
  const all = [header, ...rows];
  const width = (key: keyof ComponentRow) => Math.max(...all.map((row) => row[key].length));
  const [w1, w2] = [width('component'), width('where')];
  const line = (row: ComponentRow) =>
    `  ${row.component.padEnd(w1)}  ${row.where.padEnd(w2)}  ${row.how}`.trimEnd();
  const rule = `  ${'-'.repeat(w1)}  ${'-'.repeat(w2)}  ${'-'.repeat(width('how'))}`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
