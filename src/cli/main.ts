export async function main(argv: string[]): Promise<number> {
  console.log(`hnv: ${argv.join(' ')}`);
  return 0;
}
