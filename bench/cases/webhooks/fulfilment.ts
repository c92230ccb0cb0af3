export async function fulfilOrder(id: number, items: unknown[]): Promise<void> {
  console.info('fulfil', id, items.length);
}
