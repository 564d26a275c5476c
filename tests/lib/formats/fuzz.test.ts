import { describe, expect, test } from 'vitest';
import { gzipSync } from 'fflate';
import { writePoscar, writeVolumetric } from '@/lib/formats';
import { fuzz } from './fuzz-core';
import { fixture } from './helpers';

const structure = {
  comment: 'fuzz',
  lattice: [
    [3, 0, 0],
    [0, 3, 0],
    [0, 0, 3],
  ] as [[number, number, number], [number, number, number], [number, number, number]],
  species: ['Mo', 'S', 'S'],
  positions: [
    [0, 0, 0],
    [1, 1, 1],
    [2, 2, 2],
  ] as [number, number, number][],
};
const grid = Float32Array.from({ length: 3 * 4 * 5 }, (_, i) => Math.sin(i) * 10 ** ((i % 7) - 3));
const volumetricSeeds = [
  new TextEncoder().encode(writeVolumetric(structure, [3, 4, 5], [grid, grid])),
  new Uint8Array(fixture('LOCPOT.forms')),
];

describe('fuzz (bounded, ~1 s per reader): mutated inputs give a value or a FormatError, never a crash', () => {
  test.each([
    ['volumetric', volumetricSeeds],
    ['volumetric', [gzipSync(volumetricSeeds[0])]],
    ['poscar', [new TextEncoder().encode(writePoscar({ ...structure, selectiveDynamics: [[true, true, false], [true, true, true], [false, false, false]] })), new Uint8Array(fixture('POSCAR.vasp4'))]],
    ['cube', [new Uint8Array(fixture('hand.cube'))]],
    ['outcar', [new Uint8Array(fixture('OUTCAR.steps'))]],
    ['labels', [new Uint8Array(fixture('labels.csv'))]],
  ] as const)('%s', (reader, seeds) => {
    const rep = fuzz(reader, [...seeds], 20_000, 900, 42);
    expect(rep.failures).toEqual([]);
    expect(rep.runs).toBeGreaterThan(100);
  });
});
