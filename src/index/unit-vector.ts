/**
 * The vector scaled to length 1 (a zero vector is returned unchanged), so that cosine similarity is a
 * plain dot product. Shared by the stored sentence vectors and the query embedder so both sides of every
 * dot product are normalised the same way.
 */
export function toUnitVector(vector: readonly number[]): number[] {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const norm = Math.sqrt(sum) || 1;
  return vector.map((x) => x / norm);
}
