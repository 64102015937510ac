// Where a puzzle's input and its answer sit among the reasoner's P state positions: on the same
// cells when the answer fills the input's grid (Sudoku, queens), or in answer slots after the
// input tokens when they differ (a colour per node after the node pairs of a graph).
import { DataError } from '../../errors.js';
import type { PuzzleFamily } from '../../tasks/index.js';

/** How one family's tokens map onto the state. */
export interface SequenceLayout {
  /** State positions P. */
  positions: number;
  inputLength: number;
  outputLength: number;
  /** First position whose h is decoded; the answer occupies outputLength positions from it. */
  answerOffset: number;
  /** Input token ids lie in [0, inputVocab); includes the answer-slot marker if any. */
  inputVocab: number;
  /** Answer token ids lie in [0, outputVocab). */
  outputVocab: number;
}

/** True for families whose answer is the input grid filled in, cell for cell. */
function answerFillsInput<P>(family: PuzzleFamily<P>): boolean {
  return family.name !== 'colouring' && family.inputLength === family.outputLength;
}

/** The layout of a family's puzzles. */
export function layoutOf<P>(family: PuzzleFamily<P>): SequenceLayout {
  const { inputLength, outputLength, inputVocab, outputVocab } = family;
  if (answerFillsInput(family)) {
    return { positions: inputLength, inputLength, outputLength, answerOffset: 0, inputVocab,
      outputVocab };
  }
  return {
    positions: inputLength + outputLength, inputLength, outputLength,
    answerOffset: inputLength, inputVocab: inputVocab + 1, outputVocab,
  };
}

/** Input token ids spread over the P positions (answer slots get their own marker). */
export function stateTokens(layout: SequenceLayout, input: readonly number[]): number[] {
  if (input.length !== layout.inputLength) {
    throw new DataError(`reasoner input: ${input.length} tokens, the layout takes `
      + `${layout.inputLength}; encode the puzzle with its own family`);
  }
  if (layout.answerOffset === 0) return input.slice();
  const slotMarker = layout.inputVocab - 1;
  return [...input, ...new Array<number>(layout.outputLength).fill(slotMarker)];
}

/**
 * Answer token ids over the P positions for the posterior; positions outside the answer get
 * the id outputVocab ("no answer here").
 */
export function answerTokensOverState(layout: SequenceLayout,
  answer: readonly number[]): number[] {
  if (answer.length !== layout.outputLength) {
    throw new DataError(`reasoner answer: ${answer.length} tokens, the layout takes `
      + `${layout.outputLength}`);
  }
  const padding = new Array<number>(layout.answerOffset).fill(layout.outputVocab);
  return [...padding, ...answer];
}
